from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    state: str,
    code: None | str | Unset = UNSET,
    error: None | str | Unset = UNSET,
    error_description: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["state"] = state

    json_code: None | str | Unset
    if isinstance(code, Unset):
        json_code = UNSET
    else:
        json_code = code
    params["code"] = json_code

    json_error: None | str | Unset
    if isinstance(error, Unset):
        json_error = UNSET
    else:
        json_error = error
    params["error"] = json_error

    json_error_description: None | str | Unset
    if isinstance(error_description, Unset):
        json_error_description = UNSET
    else:
        json_error_description = error_description
    params["error_description"] = json_error_description


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/connections/callback",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorEnvelope | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 302:
        response_302 = cast(Any, None)
        return response_302

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())



        return response_400

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())



        return response_422

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())



        return response_500

    if response.status_code == 503:
        response_503 = cast(Any, None)
        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorEnvelope | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: str,
    code: None | str | Unset = UNSET,
    error: None | str | Unset = UNSET,
    error_description: None | str | Unset = UNSET,

) -> Response[Any | ErrorEnvelope | str]:
    """ The OAuth redirect URI: where the provider sends the user after consent

     Public (the browser arrives from the provider without a Hubwire credential); `state` identifies the
    consent. Exchanges `code` for tokens (with the PKCE verifier), stores them encrypted, checks them,
    makes the connection `active`, emits `connection.connected` and starts a first pull. Then redirects
    to the connection's `redirectUrl` with `?connection=<id>&status=active|denied|error`, or shows a
    small page. An unknown or already used `state` is 400.

    Args:
        state (str):
        code (None | str | Unset):
        error (None | str | Unset):
        error_description (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorEnvelope | str]
     """


    kwargs = _get_kwargs(
        state=state,
code=code,
error=error,
error_description=error_description,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    state: str,
    code: None | str | Unset = UNSET,
    error: None | str | Unset = UNSET,
    error_description: None | str | Unset = UNSET,

) -> Any | ErrorEnvelope | str | None:
    """ The OAuth redirect URI: where the provider sends the user after consent

     Public (the browser arrives from the provider without a Hubwire credential); `state` identifies the
    consent. Exchanges `code` for tokens (with the PKCE verifier), stores them encrypted, checks them,
    makes the connection `active`, emits `connection.connected` and starts a first pull. Then redirects
    to the connection's `redirectUrl` with `?connection=<id>&status=active|denied|error`, or shows a
    small page. An unknown or already used `state` is 400.

    Args:
        state (str):
        code (None | str | Unset):
        error (None | str | Unset):
        error_description (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorEnvelope | str
     """


    return sync_detailed(
        client=client,
state=state,
code=code,
error=error,
error_description=error_description,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    state: str,
    code: None | str | Unset = UNSET,
    error: None | str | Unset = UNSET,
    error_description: None | str | Unset = UNSET,

) -> Response[Any | ErrorEnvelope | str]:
    """ The OAuth redirect URI: where the provider sends the user after consent

     Public (the browser arrives from the provider without a Hubwire credential); `state` identifies the
    consent. Exchanges `code` for tokens (with the PKCE verifier), stores them encrypted, checks them,
    makes the connection `active`, emits `connection.connected` and starts a first pull. Then redirects
    to the connection's `redirectUrl` with `?connection=<id>&status=active|denied|error`, or shows a
    small page. An unknown or already used `state` is 400.

    Args:
        state (str):
        code (None | str | Unset):
        error (None | str | Unset):
        error_description (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorEnvelope | str]
     """


    kwargs = _get_kwargs(
        state=state,
code=code,
error=error,
error_description=error_description,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    state: str,
    code: None | str | Unset = UNSET,
    error: None | str | Unset = UNSET,
    error_description: None | str | Unset = UNSET,

) -> Any | ErrorEnvelope | str | None:
    """ The OAuth redirect URI: where the provider sends the user after consent

     Public (the browser arrives from the provider without a Hubwire credential); `state` identifies the
    consent. Exchanges `code` for tokens (with the PKCE verifier), stores them encrypted, checks them,
    makes the connection `active`, emits `connection.connected` and starts a first pull. Then redirects
    to the connection's `redirectUrl` with `?connection=<id>&status=active|denied|error`, or shows a
    small page. An unknown or already used `state` is 400.

    Args:
        state (str):
        code (None | str | Unset):
        error (None | str | Unset):
        error_description (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorEnvelope | str
     """


    return (await asyncio_detailed(
        client=client,
state=state,
code=code,
error=error,
error_description=error_description,

    )).parsed
