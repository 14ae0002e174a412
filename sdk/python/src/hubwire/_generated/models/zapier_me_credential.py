from typing import Literal

ZapierMeCredential = Literal['api_key', 'oauth_app', 'user']

ZAPIER_ME_CREDENTIAL_VALUES: set[ZapierMeCredential] = { 'api_key', 'oauth_app', 'user',  }

def check_zapier_me_credential(value: str) -> ZapierMeCredential:
    if value in ZAPIER_ME_CREDENTIAL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ZAPIER_ME_CREDENTIAL_VALUES!r}")
