from django.db import models

from quai.models import AuditLog


def audit_log(*, actor, action: str, target: models.Model, data: dict | None = None) -> AuditLog:
    """Write an audit row; call it inside the transaction of the change it records."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
    )
