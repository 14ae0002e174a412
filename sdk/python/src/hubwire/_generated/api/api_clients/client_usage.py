from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.client_usage_groupby import check_client_usage_groupby
from ...models.client_usage_groupby import ClientUsageGroupby
from ...models.error_envelope import ErrorEnvelope
from ...models.usage_statistics import UsageStatistics
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    client_id: str,
    *,
    date_from: datetime.datetime | None | Unset = UNSET,
    date_to: datetime.datetime | None | Unset = UNSET,
    group_by: ClientUsageGroupby | Unset = 'day',

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_date_from: None | str | Unset
    if isinstance(date_from, Unset):
        json_date_from = UNSET
    elif isinstance(date_from, datetime.datetime):
        json_date_from = date_from.isoformat()
    else:
        json_date_from = date_from
    params["dateFrom"] = json_date_from

    json_date_to: None | str | Unset
    if isinstance(date_to, Unset):
        json_date_to = UNSET
    elif isinstance(date_to, datetime.datetime):
        json_date_to = date_to.isoformat()
    else:
        json_date_to = date_to
    params["dateTo"] = json_date_to

    json_group_by: str | Unset = UNSET
    if not isinstance(group_by, Unset):
        json_group_by = group_by

    params["groupBy"] = json_group_by


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/api-clients/{client_id}/usage".format(client_id=quote(str(client_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | UsageStatistics | None:
    if response.status_code == 200:
        response_200 = UsageStatistics.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | UsageStatistics]:
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
    date_from: datetime.datetime | None | Unset = UNSET,
    date_to: datetime.datetime | None | Unset = UNSET,
    group_by: ClientUsageGroupby | Unset = 'day',

) -> Response[ErrorEnvelope | UsageStatistics]:
    """ Usage statistics of an API client

     **Required scope:** `usage:read`

    Args:
        client_id (str):
        date_from (datetime.datetime | None | Unset): Default: 30 days ago.
        date_to (datetime.datetime | None | Unset): Default: now.
        group_by (ClientUsageGroupby | Unset):  Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UsageStatistics]
     """


    kwargs = _get_kwargs(
        client_id=client_id,
date_from=date_from,
date_to=date_to,
group_by=group_by,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    client_id: str,
    *,
    client: AuthenticatedClient,
    date_from: datetime.datetime | None | Unset = UNSET,
    date_to: datetime.datetime | None | Unset = UNSET,
    group_by: ClientUsageGroupby | Unset = 'day',

) -> ErrorEnvelope | UsageStatistics | None:
    """ Usage statistics of an API client

     **Required scope:** `usage:read`

    Args:
        client_id (str):
        date_from (datetime.datetime | None | Unset): Default: 30 days ago.
        date_to (datetime.datetime | None | Unset): Default: now.
        group_by (ClientUsageGroupby | Unset):  Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UsageStatistics
     """


    return sync_detailed(
        client_id=client_id,
client=client,
date_from=date_from,
date_to=date_to,
group_by=group_by,

    ).parsed

async def asyncio_detailed(
    client_id: str,
    *,
    client: AuthenticatedClient,
    date_from: datetime.datetime | None | Unset = UNSET,
    date_to: datetime.datetime | None | Unset = UNSET,
    group_by: ClientUsageGroupby | Unset = 'day',

) -> Response[ErrorEnvelope | UsageStatistics]:
    """ Usage statistics of an API client

     **Required scope:** `usage:read`

    Args:
        client_id (str):
        date_from (datetime.datetime | None | Unset): Default: 30 days ago.
        date_to (datetime.datetime | None | Unset): Default: now.
        group_by (ClientUsageGroupby | Unset):  Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UsageStatistics]
     """


    kwargs = _get_kwargs(
        client_id=client_id,
date_from=date_from,
date_to=date_to,
group_by=group_by,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    client_id: str,
    *,
    client: AuthenticatedClient,
    date_from: datetime.datetime | None | Unset = UNSET,
    date_to: datetime.datetime | None | Unset = UNSET,
    group_by: ClientUsageGroupby | Unset = 'day',

) -> ErrorEnvelope | UsageStatistics | None:
    """ Usage statistics of an API client

     **Required scope:** `usage:read`

    Args:
        client_id (str):
        date_from (datetime.datetime | None | Unset): Default: 30 days ago.
        date_to (datetime.datetime | None | Unset): Default: now.
        group_by (ClientUsageGroupby | Unset):  Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UsageStatistics
     """


    return (await asyncio_detailed(
        client_id=client_id,
client=client,
date_from=date_from,
date_to=date_to,
group_by=group_by,

    )).parsed
