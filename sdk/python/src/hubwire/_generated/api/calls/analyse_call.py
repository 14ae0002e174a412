from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.analysis_request import AnalysisRequest
from ...models.error_envelope import ErrorEnvelope
from ...models.job_queued import JobQueued
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    call_id: str,
    *,
    body: AnalysisRequest | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/calls/{call_id}/analysis".format(call_id=quote(str(call_id), safe=""),),
    }

    
    if isinstance(body, AnalysisRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | JobQueued | None:
    if response.status_code == 202:
        response_202 = JobQueued.from_dict(response.json())



        return response_202

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

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = ErrorEnvelope.from_dict(response.json())



        return response_415

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | JobQueued]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    call_id: str,
    *,
    client: AuthenticatedClient,
    body: AnalysisRequest | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | JobQueued]:
    """ Analyse a call's transcript (async job)

     **Required scope:** `calls:write`

    Queues a `call.analysis` job: talk-time split, keywords, sentiment and a 0-10 score. Poll `GET
    /v1/jobs/{jobId}` or pass `callbackUrl` to be called back. A call without a transcript is refused
    with 409.

    Args:
        call_id (str):
        idempotency_key (str | Unset):
        body (AnalysisRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | JobQueued]
     """


    kwargs = _get_kwargs(
        call_id=call_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    call_id: str,
    *,
    client: AuthenticatedClient,
    body: AnalysisRequest | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | JobQueued | None:
    """ Analyse a call's transcript (async job)

     **Required scope:** `calls:write`

    Queues a `call.analysis` job: talk-time split, keywords, sentiment and a 0-10 score. Poll `GET
    /v1/jobs/{jobId}` or pass `callbackUrl` to be called back. A call without a transcript is refused
    with 409.

    Args:
        call_id (str):
        idempotency_key (str | Unset):
        body (AnalysisRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | JobQueued
     """


    return sync_detailed(
        call_id=call_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    call_id: str,
    *,
    client: AuthenticatedClient,
    body: AnalysisRequest | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | JobQueued]:
    """ Analyse a call's transcript (async job)

     **Required scope:** `calls:write`

    Queues a `call.analysis` job: talk-time split, keywords, sentiment and a 0-10 score. Poll `GET
    /v1/jobs/{jobId}` or pass `callbackUrl` to be called back. A call without a transcript is refused
    with 409.

    Args:
        call_id (str):
        idempotency_key (str | Unset):
        body (AnalysisRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | JobQueued]
     """


    kwargs = _get_kwargs(
        call_id=call_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    call_id: str,
    *,
    client: AuthenticatedClient,
    body: AnalysisRequest | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | JobQueued | None:
    """ Analyse a call's transcript (async job)

     **Required scope:** `calls:write`

    Queues a `call.analysis` job: talk-time split, keywords, sentiment and a 0-10 score. Poll `GET
    /v1/jobs/{jobId}` or pass `callbackUrl` to be called back. A call without a transcript is refused
    with 409.

    Args:
        call_id (str):
        idempotency_key (str | Unset):
        body (AnalysisRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | JobQueued
     """


    return (await asyncio_detailed(
        call_id=call_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
