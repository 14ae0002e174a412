"""PATCH bodies: a field that cannot be cleared is not offered as null by the spec and is
refused as null by the server, for every resource."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.app import snapshot_spec
from core.schemas import ApiPatch

PATCHES = sorted(ApiPatch.__subclasses__(), key=lambda cls: cls.__name__)


def test_every_patch_body_names_its_not_null_fields() -> None:
    assert {cls.__name__ for cls in PATCHES} >= {
        "LeadUpdate",
        "CallUpdate",
        "WebhookUpdate",
        "ConnectionUpdate",
    }


@pytest.mark.parametrize("patch", PATCHES, ids=lambda cls: cls.__name__)
def test_the_spec_offers_null_exactly_where_the_server_takes_it(patch: type[ApiPatch]) -> None:
    properties = snapshot_spec()["components"]["schemas"][patch.__name__]["properties"]
    for name, field in patch.model_fields.items():
        alias = field.alias or name
        offered = '"null"' in str(properties[alias]).replace("'", '"')
        if name in patch.not_null:
            assert not offered, f"{patch.__name__}.{alias} is offered as null"
            with pytest.raises(ValidationError, match="cannot be null"):
                patch.model_validate({alias: None})
        else:
            assert offered, f"{patch.__name__}.{alias} may be null but the spec does not say"
            patch.model_validate({alias: None})
