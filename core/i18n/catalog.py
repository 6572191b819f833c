"""Every user-facing text, Indonesian first and English second, keyed by message id.

Each area keeps its texts in its own module of `core/i18n/` (same shape: key → (id, en));
they are merged here so there is still one catalog, and no key may be defined twice.
"""

from core.i18n.api import TEXTS as API_TEXTS
from core.i18n.dashboard import TEXTS as DASHBOARD_TEXTS
from core.i18n.general import TEXTS as GENERAL_TEXTS
from core.i18n.intake import TEXTS as INTAKE_TEXTS
from core.i18n.open311 import TEXTS as OPEN311_TEXTS
from core.i18n.privacy import TEXTS as PRIVACY_TEXTS
from core.i18n.reports import TEXTS as REPORT_TEXTS
from core.i18n.sla import TEXTS as SLA_TEXTS
from core.i18n.telegram import TEXTS as TELEGRAM_TEXTS
from core.i18n.whatsapp import TEXTS as WHATSAPP_TEXTS
from core.i18n.work import TEXTS as WORK_TEXTS

_PARTS = (GENERAL_TEXTS, INTAKE_TEXTS, TELEGRAM_TEXTS, WHATSAPP_TEXTS, WORK_TEXTS, REPORT_TEXTS,
          SLA_TEXTS, OPEN311_TEXTS, API_TEXTS, DASHBOARD_TEXTS, PRIVACY_TEXTS)
CATALOG: dict[str, tuple[str, str]] = {k: v for part in _PARTS for k, v in part.items()}
if len(CATALOG) != sum(map(len, _PARTS)):
    raise RuntimeError("a part of the catalog redefines an existing text key")
