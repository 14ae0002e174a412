from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.zapier_me_credential import check_zapier_me_credential
from ..models.zapier_me_credential import ZapierMeCredential
from typing import cast






T = TypeVar("T", bound="ZapierMe")



@_attrs_define
class ZapierMe:
    """ Who a credential acts for; Zapier's connection test and connection label.

        Attributes:
            id (str): The user behind the credential, else the credential (app or key) itself.
            credential (ZapierMeCredential):
            user_id (None | str):
            role (None | str):
            workspace_id (str):
            workspace_slug (str):
            workspace_name (str):
            scopes (list[str]):
            label (str): A short name for the connection.
     """

    id: str
    credential: ZapierMeCredential
    user_id: None | str
    role: None | str
    workspace_id: str
    workspace_slug: str
    workspace_name: str
    scopes: list[str]
    label: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        credential: str = self.credential

        user_id: None | str
        user_id = self.user_id

        role: None | str
        role = self.role

        workspace_id = self.workspace_id

        workspace_slug = self.workspace_slug

        workspace_name = self.workspace_name

        scopes = self.scopes



        label = self.label


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "credential": credential,
            "userId": user_id,
            "role": role,
            "workspaceId": workspace_id,
            "workspaceSlug": workspace_slug,
            "workspaceName": workspace_name,
            "scopes": scopes,
            "label": label,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        credential = check_zapier_me_credential(d.pop("credential"))




        def _parse_user_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        user_id = _parse_user_id(d.pop("userId"))


        def _parse_role(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        role = _parse_role(d.pop("role"))


        workspace_id = d.pop("workspaceId")

        workspace_slug = d.pop("workspaceSlug")

        workspace_name = d.pop("workspaceName")

        scopes = cast(list[str], d.pop("scopes"))


        label = d.pop("label")

        zapier_me = cls(
            id=id,
            credential=credential,
            user_id=user_id,
            role=role,
            workspace_id=workspace_id,
            workspace_slug=workspace_slug,
            workspace_name=workspace_name,
            scopes=scopes,
            label=label,
        )


        zapier_me.additional_properties = d
        return zapier_me

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
