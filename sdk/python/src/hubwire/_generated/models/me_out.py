from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.me_out_role import check_me_out_role
from ..models.me_out_role import MeOutRole
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="MeOut")



@_attrs_define
class MeOut:
    """ The person a credential acts for, with what this credential may do for them.

        Attributes:
            id (str):
            workspace_id (str | Unset):
            email (str | Unset):
            name (None | str | Unset):
            role (MeOutRole | Unset):
            is_super_admin (bool | Unset):  Default: False.
            created_at (datetime.datetime | Unset):
            last_login_at (datetime.datetime | None | Unset):
            workspace_slug (str | Unset):
            workspace_name (str | Unset):
            scopes (list[str] | Unset): The scopes of this credential (an OAuth token: those the user granted).
            label (str | Unset): A short name for a connection made with this credential.
     """

    id: str
    workspace_id: str | Unset = UNSET
    email: str | Unset = UNSET
    name: None | str | Unset = UNSET
    role: MeOutRole | Unset = UNSET
    is_super_admin: bool | Unset = False
    created_at: datetime.datetime | Unset = UNSET
    last_login_at: datetime.datetime | None | Unset = UNSET
    workspace_slug: str | Unset = UNSET
    workspace_name: str | Unset = UNSET
    scopes: list[str] | Unset = UNSET
    label: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        workspace_id = self.workspace_id

        email = self.email

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role


        is_super_admin = self.is_super_admin

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        last_login_at: None | str | Unset
        if isinstance(self.last_login_at, Unset):
            last_login_at = UNSET
        elif isinstance(self.last_login_at, datetime.datetime):
            last_login_at = self.last_login_at.isoformat()
        else:
            last_login_at = self.last_login_at

        workspace_slug = self.workspace_slug

        workspace_name = self.workspace_name

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes



        label = self.label


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
        })
        if workspace_id is not UNSET:
            field_dict["workspaceId"] = workspace_id
        if email is not UNSET:
            field_dict["email"] = email
        if name is not UNSET:
            field_dict["name"] = name
        if role is not UNSET:
            field_dict["role"] = role
        if is_super_admin is not UNSET:
            field_dict["isSuperAdmin"] = is_super_admin
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if last_login_at is not UNSET:
            field_dict["lastLoginAt"] = last_login_at
        if workspace_slug is not UNSET:
            field_dict["workspaceSlug"] = workspace_slug
        if workspace_name is not UNSET:
            field_dict["workspaceName"] = workspace_name
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        workspace_id = d.pop("workspaceId", UNSET)

        email = d.pop("email", UNSET)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        _role = d.pop("role", UNSET)
        role: MeOutRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = check_me_out_role(_role)




        is_super_admin = d.pop("isSuperAdmin", UNSET)

        _created_at = d.pop("createdAt", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at,  Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)




        def _parse_last_login_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_login_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_login_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_login_at = _parse_last_login_at(d.pop("lastLoginAt", UNSET))


        workspace_slug = d.pop("workspaceSlug", UNSET)

        workspace_name = d.pop("workspaceName", UNSET)

        scopes = cast(list[str], d.pop("scopes", UNSET))


        label = d.pop("label", UNSET)

        me_out = cls(
            id=id,
            workspace_id=workspace_id,
            email=email,
            name=name,
            role=role,
            is_super_admin=is_super_admin,
            created_at=created_at,
            last_login_at=last_login_at,
            workspace_slug=workspace_slug,
            workspace_name=workspace_name,
            scopes=scopes,
            label=label,
        )


        me_out.additional_properties = d
        return me_out

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
