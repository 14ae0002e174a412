"""The typed request and response models, generated from ``sdk/openapi.json``."""

from ._generated.models import *  # noqa: F403
from ._generated.models import __all__ as __all__
from ._generated.types import UNSET as UNSET
from ._generated.types import Unset as Unset
