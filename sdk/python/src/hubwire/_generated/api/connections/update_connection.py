from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.connection_out import ConnectionOut
from ...models.connection_update import ConnectionUpdate
from ...models.error_envelope import ErrorEnvelope
from typing import cast



def _get_kwargs(
    connection_id: str,
    *,
    body: ConnectionUpdate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/connections/{connection_id}".format(connection_id=quote(str(connection_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ConnectionOut | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ConnectionOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ConnectionOut | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    connection_id: str,
    *,
    client: AuthenticatedClient,
    body: ConnectionUpdate,

) -> Response[ConnectionOut | ErrorEnvelope]:
    """ Rename, pause or resume a connection; set its concurrency, field mapping, settings

     **Required scope:** `connections:write`

    Args:
        connection_id (str):
        body (ConnectionUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectionOut | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        connection_id=connection_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    connection_id: str,
    *,
    client: AuthenticatedClient,
    body: ConnectionUpdate,

) -> ConnectionOut | ErrorEnvelope | None:
    """ Rename, pause or resume a connection; set its concurrency, field mapping, settings

     **Required scope:** `connections:write`

    Args:
        connection_id (str):
        body (ConnectionUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectionOut | ErrorEnvelope
     """


    return sync_detailed(
        connection_id=connection_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    connection_id: str,
    *,
    client: AuthenticatedClient,
    body: ConnectionUpdate,

) -> Response[ConnectionOut | ErrorEnvelope]:
    """ Rename, pause or resume a connection; set its concurrency, field mapping, settings

     **Required scope:** `connections:write`

    Args:
        connection_id (str):
        body (ConnectionUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectionOut | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        connection_id=connection_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    connection_id: str,
    *,
    client: AuthenticatedClient,
    body: ConnectionUpdate,

) -> ConnectionOut | ErrorEnvelope | None:
    """ Rename, pause or resume a connection; set its concurrency, field mapping, settings

     **Required scope:** `connections:write`

    Args:
        connection_id (str):
        body (ConnectionUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectionOut | ErrorEnvelope
     """


    return (await asyncio_detailed(
        connection_id=connection_id,
client=client,
body=body,

    )).parsed
