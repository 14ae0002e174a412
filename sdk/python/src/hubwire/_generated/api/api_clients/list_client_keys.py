from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.page_api_key_out import PageApiKeyOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    client_id: str,
    *,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,

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


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/api-clients/{client_id}/api-keys".format(client_id=quote(str(client_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | PageApiKeyOut | None:
    if response.status_code == 200:
        response_200 = PageApiKeyOut.from_dict(response.json())



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

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())



        return response_404

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | PageApiKeyOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    client_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | PageApiKeyOut]:
    """ List an API client's keys (masked)

     **Required scope:** `keys:read`

    Args:
        client_id (str):
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PageApiKeyOut]
     """


    kwargs = _get_kwargs(
        client_id=client_id,
limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    client_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,

) -> ErrorEnvelope | PageApiKeyOut | None:
    """ List an API client's keys (masked)

     **Required scope:** `keys:read`

    Args:
        client_id (str):
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PageApiKeyOut
     """


    return sync_detailed(
        client_id=client_id,
client=client,
limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,

    ).parsed

async def asyncio_detailed(
    client_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | PageApiKeyOut]:
    """ List an API client's keys (masked)

     **Required scope:** `keys:read`

    Args:
        client_id (str):
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PageApiKeyOut]
     """


    kwargs = _get_kwargs(
        client_id=client_id,
limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    client_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,

) -> ErrorEnvelope | PageApiKeyOut | None:
    """ List an API client's keys (masked)

     **Required scope:** `keys:read`

    Args:
        client_id (str):
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PageApiKeyOut
     """


    return (await asyncio_detailed(
        client_id=client_id,
client=client,
limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,

    )).parsed
