from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.connections_period_stats import ConnectionsPeriodStats
from ...models.error_envelope import ErrorEnvelope
from typing import cast
import datetime



def _get_kwargs(
    *,
    start_date: datetime.date,
    end_date: datetime.date,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_start_date = start_date.isoformat()
    params["startDate"] = json_start_date

    json_end_date = end_date.isoformat()
    params["endDate"] = json_end_date


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/connections/period-stats",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ConnectionsPeriodStats | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ConnectionsPeriodStats.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ConnectionsPeriodStats | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    start_date: datetime.date,
    end_date: datetime.date,

) -> Response[ConnectionsPeriodStats | ErrorEnvelope]:
    """ Sync statistics per day, summed over all the workspace's connections

     **Required scope:** `connections:read`

    Records pushed, pulled and failed and provider calls per UTC day from `startDate` to `endDate`
    (inclusive, at most 366 days), with each connection's totals.

    Args:
        start_date (datetime.date): First day (YYYY-MM-DD, UTC), inclusive.
        end_date (datetime.date): Last day (YYYY-MM-DD, UTC), inclusive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectionsPeriodStats | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        start_date=start_date,
end_date=end_date,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    start_date: datetime.date,
    end_date: datetime.date,

) -> ConnectionsPeriodStats | ErrorEnvelope | None:
    """ Sync statistics per day, summed over all the workspace's connections

     **Required scope:** `connections:read`

    Records pushed, pulled and failed and provider calls per UTC day from `startDate` to `endDate`
    (inclusive, at most 366 days), with each connection's totals.

    Args:
        start_date (datetime.date): First day (YYYY-MM-DD, UTC), inclusive.
        end_date (datetime.date): Last day (YYYY-MM-DD, UTC), inclusive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectionsPeriodStats | ErrorEnvelope
     """


    return sync_detailed(
        client=client,
start_date=start_date,
end_date=end_date,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    start_date: datetime.date,
    end_date: datetime.date,

) -> Response[ConnectionsPeriodStats | ErrorEnvelope]:
    """ Sync statistics per day, summed over all the workspace's connections

     **Required scope:** `connections:read`

    Records pushed, pulled and failed and provider calls per UTC day from `startDate` to `endDate`
    (inclusive, at most 366 days), with each connection's totals.

    Args:
        start_date (datetime.date): First day (YYYY-MM-DD, UTC), inclusive.
        end_date (datetime.date): Last day (YYYY-MM-DD, UTC), inclusive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectionsPeriodStats | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        start_date=start_date,
end_date=end_date,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    start_date: datetime.date,
    end_date: datetime.date,

) -> ConnectionsPeriodStats | ErrorEnvelope | None:
    """ Sync statistics per day, summed over all the workspace's connections

     **Required scope:** `connections:read`

    Records pushed, pulled and failed and provider calls per UTC day from `startDate` to `endDate`
    (inclusive, at most 366 days), with each connection's totals.

    Args:
        start_date (datetime.date): First day (YYYY-MM-DD, UTC), inclusive.
        end_date (datetime.date): Last day (YYYY-MM-DD, UTC), inclusive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectionsPeriodStats | ErrorEnvelope
     """


    return (await asyncio_detailed(
        client=client,
start_date=start_date,
end_date=end_date,

    )).parsed
