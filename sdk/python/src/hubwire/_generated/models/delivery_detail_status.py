from typing import Literal

DeliveryDetailStatus = Literal['dead', 'pending', 'succeeded']

DELIVERY_DETAIL_STATUS_VALUES: set[DeliveryDetailStatus] = { 'dead', 'pending', 'succeeded',  }

def check_delivery_detail_status(value: str) -> DeliveryDetailStatus:
    if value in DELIVERY_DETAIL_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DELIVERY_DETAIL_STATUS_VALUES!r}")
