from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.connector_catalog_out import ConnectorCatalogOut
from ...models.error_envelope import ErrorEnvelope
from typing import cast



def _get_kwargs(
    
) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/connectors",
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ConnectorCatalogOut | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ConnectorCatalogOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ConnectorCatalogOut | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[ConnectorCatalogOut | ErrorEnvelope]:
    """ The connectors this Hubwire can sync with

     **Required scope:** `connections:read`

    Every installed connector (built-in or from another package), with how it authenticates, the events
    it subscribes to and the objects it syncs. Operators may limit the list with `HUBWIRE_CONNECTORS`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectorCatalogOut | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,

) -> ConnectorCatalogOut | ErrorEnvelope | None:
    """ The connectors this Hubwire can sync with

     **Required scope:** `connections:read`

    Every installed connector (built-in or from another package), with how it authenticates, the events
    it subscribes to and the objects it syncs. Operators may limit the list with `HUBWIRE_CONNECTORS`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectorCatalogOut | ErrorEnvelope
     """


    return sync_detailed(
        client=client,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[ConnectorCatalogOut | ErrorEnvelope]:
    """ The connectors this Hubwire can sync with

     **Required scope:** `connections:read`

    Every installed connector (built-in or from another package), with how it authenticates, the events
    it subscribes to and the objects it syncs. Operators may limit the list with `HUBWIRE_CONNECTORS`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectorCatalogOut | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        
    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,

) -> ConnectorCatalogOut | ErrorEnvelope | None:
    """ The connectors this Hubwire can sync with

     **Required scope:** `connections:read`

    Every installed connector (built-in or from another package), with how it authenticates, the events
    it subscribes to and the objects it syncs. Operators may limit the list with `HUBWIRE_CONNECTORS`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectorCatalogOut | ErrorEnvelope
     """


    return (await asyncio_detailed(
        client=client,

    )).parsed
