from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.list_connections_status_type_0 import check_list_connections_status_type_0
from ...models.list_connections_status_type_0 import ListConnectionsStatusType0
from ...models.page_connection_out import PageConnectionOut
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    connector: None | str | Unset = UNSET,
    status: ListConnectionsStatusType0 | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_offset: int | None | Unset
    if isinstance(offset, Unset):
        json_offset = UNSET
    else:
        json_offset = offset
    params["offset"] = json_offset

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_sort: None | str | Unset
    if isinstance(sort, Unset):
        json_sort = UNSET
    else:
        json_sort = sort
    params["sort"] = json_sort

    json_fields: None | str | Unset
    if isinstance(fields, Unset):
        json_fields = UNSET
    else:
        json_fields = fields
    params["fields"] = json_fields

    json_connector: None | str | Unset
    if isinstance(connector, Unset):
        json_connector = UNSET
    else:
        json_connector = connector
    params["connector"] = json_connector

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, str):
        json_status = status
    else:
        json_status = status
    params["status"] = json_status

    json_created_after: None | str | Unset
    if isinstance(created_after, Unset):
        json_created_after = UNSET
    elif isinstance(created_after, datetime.datetime):
        json_created_after = created_after.isoformat()
    else:
        json_created_after = created_after
    params["createdAfter"] = json_created_after

    json_created_before: None | str | Unset
    if isinstance(created_before, Unset):
        json_created_before = UNSET
    elif isinstance(created_before, datetime.datetime):
        json_created_before = created_before.isoformat()
    else:
        json_created_before = created_before
    params["createdBefore"] = json_created_before


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/connections",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | PageConnectionOut | None:
    if response.status_code == 200:
        response_200 = PageConnectionOut.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())



        return response_403

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())



        return response_429

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())



        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | PageConnectionOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    connector: None | str | Unset = UNSET,
    status: ListConnectionsStatusType0 | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,

) -> Response[ErrorEnvelope | PageConnectionOut]:
    """ List connections

     **Required scope:** `connections:read`

    Args:
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.
        connector (None | str | Unset):
        status (ListConnectionsStatusType0 | None | Unset):
        created_after (datetime.datetime | None | Unset): ISO 8601, inclusive.
        created_before (datetime.datetime | None | Unset): ISO 8601, exclusive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PageConnectionOut]
     """


    kwargs = _get_kwargs(
        limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,
connector=connector,
status=status,
created_after=created_after,
created_before=created_before,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    connector: None | str | Unset = UNSET,
    status: ListConnectionsStatusType0 | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,

) -> ErrorEnvelope | PageConnectionOut | None:
    """ List connections

     **Required scope:** `connections:read`

    Args:
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.
        connector (None | str | Unset):
        status (ListConnectionsStatusType0 | None | Unset):
        created_after (datetime.datetime | None | Unset): ISO 8601, inclusive.
        created_before (datetime.datetime | None | Unset): ISO 8601, exclusive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PageConnectionOut
     """


    return sync_detailed(
        client=client,
limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,
connector=connector,
status=status,
created_after=created_after,
created_before=created_before,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    connector: None | str | Unset = UNSET,
    status: ListConnectionsStatusType0 | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,

) -> Response[ErrorEnvelope | PageConnectionOut]:
    """ List connections

     **Required scope:** `connections:read`

    Args:
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.
        connector (None | str | Unset):
        status (ListConnectionsStatusType0 | None | Unset):
        created_after (datetime.datetime | None | Unset): ISO 8601, inclusive.
        created_before (datetime.datetime | None | Unset): ISO 8601, exclusive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PageConnectionOut]
     """


    kwargs = _get_kwargs(
        limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,
connector=connector,
status=status,
created_after=created_after,
created_before=created_before,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    connector: None | str | Unset = UNSET,
    status: ListConnectionsStatusType0 | None | Unset = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,

) -> ErrorEnvelope | PageConnectionOut | None:
    """ List connections

     **Required scope:** `connections:read`

    Args:
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.
        connector (None | str | Unset):
        status (ListConnectionsStatusType0 | None | Unset):
        created_after (datetime.datetime | None | Unset): ISO 8601, inclusive.
        created_before (datetime.datetime | None | Unset): ISO 8601, exclusive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PageConnectionOut
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,
connector=connector,
status=status,
created_after=created_after,
created_before=created_before,

    )).parsed
