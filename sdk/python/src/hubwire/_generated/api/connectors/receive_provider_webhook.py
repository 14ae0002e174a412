from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.inbound_webhook_out import InboundWebhookOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    slug: str,
    *,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/connectors/{slug}/webhooks".format(slug=quote(str(slug), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | InboundWebhookOut | None:
    if response.status_code == 202:
        response_202 = InboundWebhookOut.from_dict(response.json())



        return response_202

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())



        return response_401

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())



        return response_413

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())



        return response_422

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())



        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | InboundWebhookOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    slug: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | InboundWebhookOut]:
    """ Receive a provider's webhook

     Where a provider (HubSpot…) posts change notifications for Hubwire's app. No API key: the request
    must carry the provider's signature, checked with Hubwire's client secret at that provider. Changes
    are routed to the connections of the account they are about: updates start an incremental pull,
    deletions are applied.

    Args:
        slug (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | InboundWebhookOut]
     """


    kwargs = _get_kwargs(
        slug=slug,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    slug: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | InboundWebhookOut | None:
    """ Receive a provider's webhook

     Where a provider (HubSpot…) posts change notifications for Hubwire's app. No API key: the request
    must carry the provider's signature, checked with Hubwire's client secret at that provider. Changes
    are routed to the connections of the account they are about: updates start an incremental pull,
    deletions are applied.

    Args:
        slug (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | InboundWebhookOut
     """


    return sync_detailed(
        slug=slug,
client=client,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    slug: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | InboundWebhookOut]:
    """ Receive a provider's webhook

     Where a provider (HubSpot…) posts change notifications for Hubwire's app. No API key: the request
    must carry the provider's signature, checked with Hubwire's client secret at that provider. Changes
    are routed to the connections of the account they are about: updates start an incremental pull,
    deletions are applied.

    Args:
        slug (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | InboundWebhookOut]
     """


    kwargs = _get_kwargs(
        slug=slug,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    slug: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | InboundWebhookOut | None:
    """ Receive a provider's webhook

     Where a provider (HubSpot…) posts change notifications for Hubwire's app. No API key: the request
    must carry the provider's signature, checked with Hubwire's client secret at that provider. Changes
    are routed to the connections of the account they are about: updates start an incremental pull,
    deletions are applied.

    Args:
        slug (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | InboundWebhookOut
     """


    return (await asyncio_detailed(
        slug=slug,
client=client,
idempotency_key=idempotency_key,

    )).parsed
