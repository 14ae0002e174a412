from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.user_out_role import check_user_out_role
from ..models.user_out_role import UserOutRole
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="UserOut")



@_attrs_define
class UserOut:
    """ 
        Attributes:
            id (str):
            workspace_id (str | Unset):
            email (str | Unset):
            name (None | str | Unset):
            role (UserOutRole | Unset):
            is_super_admin (bool | Unset):  Default: False.
            created_at (datetime.datetime | Unset):
            last_login_at (datetime.datetime | None | Unset):
     """

    id: str
    workspace_id: str | Unset = UNSET
    email: str | Unset = UNSET
    name: None | str | Unset = UNSET
    role: UserOutRole | Unset = UNSET
    is_super_admin: bool | Unset = False
    created_at: datetime.datetime | Unset = UNSET
    last_login_at: datetime.datetime | None | Unset = UNSET
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
        role: UserOutRole | Unset
        if isinstance(_role,  Unset):
            role = UNSET
        else:
            role = check_user_out_role(_role)




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


        user_out = cls(
            id=id,
            workspace_id=workspace_id,
            email=email,
            name=name,
            role=role,
            is_super_admin=is_super_admin,
            created_at=created_at,
            last_login_at=last_login_at,
        )


        user_out.additional_properties = d
        return user_out

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
