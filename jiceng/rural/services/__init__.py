"""Every write of the rural app: each checks ``permissions.can``, validates, writes in a
transaction (locking what it changes) and leaves an audit row; a refused call raises an
``ApplicationError`` and changes nothing."""

from .groups import pairing_create, pairing_end
from .ledger_import import (
    import_ledger_file,
    import_ledger_rows,
    import_ledger_upload,
    read_ledger_file,
)
from .projects import (
    check_photo,
    milestone_create,
    milestone_set_progress,
    project_create,
    project_note_add,
    project_photo_add,
    project_set_status,
    project_update,
)
from .secretaries import (
    alliance_create,
    alliance_member_add,
    alliance_member_remove,
    contribution_add,
    first_secretary_dispatch,
    first_secretary_dispatch_by_id_number,
    first_secretary_recall,
    supporter_create,
    training_attendance_record,
    training_sessions_schedule,
)
from .villages import (
    income_create,
    income_delete,
    income_update,
    ledger_export,
    village_profile_save,
)

__all__ = [
    "alliance_create",
    "alliance_member_add",
    "alliance_member_remove",
    "check_photo",
    "contribution_add",
    "first_secretary_dispatch",
    "first_secretary_dispatch_by_id_number",
    "first_secretary_recall",
    "import_ledger_file",
    "import_ledger_rows",
    "import_ledger_upload",
    "income_create",
    "income_delete",
    "income_update",
    "ledger_export",
    "milestone_create",
    "milestone_set_progress",
    "pairing_create",
    "pairing_end",
    "project_create",
    "project_note_add",
    "project_photo_add",
    "project_set_status",
    "project_update",
    "read_ledger_file",
    "supporter_create",
    "training_attendance_record",
    "training_sessions_schedule",
    "village_profile_save",
]
