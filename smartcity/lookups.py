"""`<integer field>__in` with values no column can hold: no match, on every database.

Django already answers `id=<huge>` with no rows (IntegerFieldOverflow), but not `id__in=[<huge>]`: PostgreSQL
compares it as a number and finds nothing, while SQLite's driver raises OverflowError (a 500 on the first-look
portal for `?finding_id=-3577668620188138579461666263531520`). With out-of-range values left out of the list,
a filter's form finds no such record on both and answers 400 ("select a valid choice").
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [value for value in self.rhs if not _outside(value, low, high)]
        return super().process_rhs(compiler, connection)


def _outside(value, low, high) -> bool:
    if not isinstance(value, int):
        return False
    return (low is not None and value < low) or (high is not None and value > high)
