from typing import Literal

DeliveryOutStatus = Literal['dead', 'pending', 'succeeded']

DELIVERY_OUT_STATUS_VALUES: set[DeliveryOutStatus] = { 'dead', 'pending', 'succeeded',  }

def check_delivery_out_status(value: str) -> DeliveryOutStatus:
    if value in DELIVERY_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DELIVERY_OUT_STATUS_VALUES!r}")
