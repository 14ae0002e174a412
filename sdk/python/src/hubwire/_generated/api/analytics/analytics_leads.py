from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.analytics_leads_groupby import AnalyticsLeadsGroupby
from ...models.analytics_leads_groupby import check_analytics_leads_groupby
from ...models.error_envelope import ErrorEnvelope
from ...models.lead_series import LeadSeries
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    date_from: datetime.datetime | None | Unset = UNSET,
    date_to: datetime.datetime | None | Unset = UNSET,
    group_by: AnalyticsLeadsGroupby | Unset = 'day',

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
        "url": "/v1/analytics/leads",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | LeadSeries | None:
    if response.status_code == 200:
        response_200 = LeadSeries.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | LeadSeries]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    date_from: datetime.datetime | None | Unset = UNSET,
    date_to: datetime.datetime | None | Unset = UNSET,
    group_by: AnalyticsLeadsGroupby | Unset = 'day',

) -> Response[ErrorEnvelope | LeadSeries]:
    """ Leads created per hour or day

     **Required scope:** `analytics:read`

    A continuous series: buckets without leads are included with zero counts.

    Args:
        date_from (datetime.datetime | None | Unset): Start of the period, inclusive: an ISO 8601
            datetime or date (UTC when no offset is given). Default: 30 days before `dateTo`.
        date_to (datetime.datetime | None | Unset): End of the period, exclusive (ISO 8601, UTC
            when no offset). Default: now.
        group_by (AnalyticsLeadsGroupby | Unset): Bucket size (UTC). `hour` allows a period of at
            most 31 days. Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | LeadSeries]
     """


    kwargs = _get_kwargs(
        date_from=date_from,
date_to=date_to,
group_by=group_by,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    date_from: datetime.datetime | None | Unset = UNSET,
    date_to: datetime.datetime | None | Unset = UNSET,
    group_by: AnalyticsLeadsGroupby | Unset = 'day',

) -> ErrorEnvelope | LeadSeries | None:
    """ Leads created per hour or day

     **Required scope:** `analytics:read`

    A continuous series: buckets without leads are included with zero counts.

    Args:
        date_from (datetime.datetime | None | Unset): Start of the period, inclusive: an ISO 8601
            datetime or date (UTC when no offset is given). Default: 30 days before `dateTo`.
        date_to (datetime.datetime | None | Unset): End of the period, exclusive (ISO 8601, UTC
            when no offset). Default: now.
        group_by (AnalyticsLeadsGroupby | Unset): Bucket size (UTC). `hour` allows a period of at
            most 31 days. Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | LeadSeries
     """


    return sync_detailed(
        client=client,
date_from=date_from,
date_to=date_to,
group_by=group_by,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    date_from: datetime.datetime | None | Unset = UNSET,
    date_to: datetime.datetime | None | Unset = UNSET,
    group_by: AnalyticsLeadsGroupby | Unset = 'day',

) -> Response[ErrorEnvelope | LeadSeries]:
    """ Leads created per hour or day

     **Required scope:** `analytics:read`

    A continuous series: buckets without leads are included with zero counts.

    Args:
        date_from (datetime.datetime | None | Unset): Start of the period, inclusive: an ISO 8601
            datetime or date (UTC when no offset is given). Default: 30 days before `dateTo`.
        date_to (datetime.datetime | None | Unset): End of the period, exclusive (ISO 8601, UTC
            when no offset). Default: now.
        group_by (AnalyticsLeadsGroupby | Unset): Bucket size (UTC). `hour` allows a period of at
            most 31 days. Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | LeadSeries]
     """


    kwargs = _get_kwargs(
        date_from=date_from,
date_to=date_to,
group_by=group_by,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    date_from: datetime.datetime | None | Unset = UNSET,
    date_to: datetime.datetime | None | Unset = UNSET,
    group_by: AnalyticsLeadsGroupby | Unset = 'day',

) -> ErrorEnvelope | LeadSeries | None:
    """ Leads created per hour or day

     **Required scope:** `analytics:read`

    A continuous series: buckets without leads are included with zero counts.

    Args:
        date_from (datetime.datetime | None | Unset): Start of the period, inclusive: an ISO 8601
            datetime or date (UTC when no offset is given). Default: 30 days before `dateTo`.
        date_to (datetime.datetime | None | Unset): End of the period, exclusive (ISO 8601, UTC
            when no offset). Default: now.
        group_by (AnalyticsLeadsGroupby | Unset): Bucket size (UTC). `hour` allows a period of at
            most 31 days. Default: 'day'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | LeadSeries
     """


    return (await asyncio_detailed(
        client=client,
date_from=date_from,
date_to=date_to,
group_by=group_by,

    )).parsed
