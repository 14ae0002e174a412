from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.list_clients_rate_limit_tier_type_0 import check_list_clients_rate_limit_tier_type_0
from ...models.list_clients_rate_limit_tier_type_0 import ListClientsRateLimitTierType0
from ...models.list_clients_status_type_0 import check_list_clients_status_type_0
from ...models.list_clients_status_type_0 import ListClientsStatusType0
from ...models.page_api_client_out import PageApiClientOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    status: ListClientsStatusType0 | None | Unset = UNSET,
    rate_limit_tier: ListClientsRateLimitTierType0 | None | Unset = UNSET,
    contact_email: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,

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

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, str):
        json_status = status
    else:
        json_status = status
    params["status"] = json_status

    json_rate_limit_tier: None | str | Unset
    if isinstance(rate_limit_tier, Unset):
        json_rate_limit_tier = UNSET
    elif isinstance(rate_limit_tier, str):
        json_rate_limit_tier = rate_limit_tier
    else:
        json_rate_limit_tier = rate_limit_tier
    params["rateLimitTier"] = json_rate_limit_tier

    json_contact_email: None | str | Unset
    if isinstance(contact_email, Unset):
        json_contact_email = UNSET
    else:
        json_contact_email = contact_email
    params["contactEmail"] = json_contact_email

    json_search: None | str | Unset
    if isinstance(search, Unset):
        json_search = UNSET
    else:
        json_search = search
    params["search"] = json_search


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/api-clients",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | PageApiClientOut | None:
    if response.status_code == 200:
        response_200 = PageApiClientOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | PageApiClientOut]:
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
    status: ListClientsStatusType0 | None | Unset = UNSET,
    rate_limit_tier: ListClientsRateLimitTierType0 | None | Unset = UNSET,
    contact_email: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | PageApiClientOut]:
    """ List API clients

     **Required scope:** `clients:read`

    Args:
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.
        status (ListClientsStatusType0 | None | Unset):
        rate_limit_tier (ListClientsRateLimitTierType0 | None | Unset):
        contact_email (None | str | Unset):
        search (None | str | Unset): Matches name or contact email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PageApiClientOut]
     """


    kwargs = _get_kwargs(
        limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,
status=status,
rate_limit_tier=rate_limit_tier,
contact_email=contact_email,
search=search,

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
    status: ListClientsStatusType0 | None | Unset = UNSET,
    rate_limit_tier: ListClientsRateLimitTierType0 | None | Unset = UNSET,
    contact_email: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,

) -> ErrorEnvelope | PageApiClientOut | None:
    """ List API clients

     **Required scope:** `clients:read`

    Args:
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.
        status (ListClientsStatusType0 | None | Unset):
        rate_limit_tier (ListClientsRateLimitTierType0 | None | Unset):
        contact_email (None | str | Unset):
        search (None | str | Unset): Matches name or contact email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PageApiClientOut
     """


    return sync_detailed(
        client=client,
limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,
status=status,
rate_limit_tier=rate_limit_tier,
contact_email=contact_email,
search=search,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    sort: None | str | Unset = UNSET,
    fields: None | str | Unset = UNSET,
    status: ListClientsStatusType0 | None | Unset = UNSET,
    rate_limit_tier: ListClientsRateLimitTierType0 | None | Unset = UNSET,
    contact_email: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | PageApiClientOut]:
    """ List API clients

     **Required scope:** `clients:read`

    Args:
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.
        status (ListClientsStatusType0 | None | Unset):
        rate_limit_tier (ListClientsRateLimitTierType0 | None | Unset):
        contact_email (None | str | Unset):
        search (None | str | Unset): Matches name or contact email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PageApiClientOut]
     """


    kwargs = _get_kwargs(
        limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,
status=status,
rate_limit_tier=rate_limit_tier,
contact_email=contact_email,
search=search,

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
    status: ListClientsStatusType0 | None | Unset = UNSET,
    rate_limit_tier: ListClientsRateLimitTierType0 | None | Unset = UNSET,
    contact_email: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,

) -> ErrorEnvelope | PageApiClientOut | None:
    """ List API clients

     **Required scope:** `clients:read`

    Args:
        limit (int | Unset): Items per page (1-100). Default: 20.
        offset (int | None | Unset): Items to skip. Not with `cursor`.
        cursor (None | str | Unset): Opaque cursor from `pagination.nextCursor`.
        sort (None | str | Unset): Sort field, `-` prefix for descending.
        fields (None | str | Unset): Comma-separated fields to return; `id` always is.
        status (ListClientsStatusType0 | None | Unset):
        rate_limit_tier (ListClientsRateLimitTierType0 | None | Unset):
        contact_email (None | str | Unset):
        search (None | str | Unset): Matches name or contact email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PageApiClientOut
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
offset=offset,
cursor=cursor,
sort=sort,
fields=fields,
status=status,
rate_limit_tier=rate_limit_tier,
contact_email=contact_email,
search=search,

    )).parsed
