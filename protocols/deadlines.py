"""Due dates: the category's rule in business days of the responsible Unimed's calendar."""

from datetime import date

from core.business_days import add_business_days
from protocols.models import Category
from unimeds.models import Unimed


def due_date_for(*, category: Category, start: date, unimed: Unimed) -> date:
    """Business days counted from the day after `start`; an immediate rule is due on `start`."""
    return add_business_days(
        start, category.business_days, uf=unimed.uf, optional_off=unimed.optional_off
    )
