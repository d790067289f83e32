"""Indexes for a database that has run for months.

- `ix_items_unextracted`: extraction takes the oldest unextracted items, 64 at a time. Without
  an index the query walked every extracted item first, so each batch cost grew with the
  whole history (a partial index holds only the few unextracted rows).
- `ix_alerts_created_at`: `report` and `replay --since` select alerts by time.
- `ix_alert_sources_item_id`: replay joins alerts to items through it, and deleting an item
  cascades through it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_items_unextracted",
        "items",
        ["id"],
        sqlite_where=sa.text("extracted = 0"),
        postgresql_where=sa.text("extracted = false"),
    )
    op.create_index("ix_alerts_created_at", "alerts", ["created_at"])
    op.create_index("ix_alert_sources_item_id", "alert_sources", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_alert_sources_item_id", "alert_sources")
    op.drop_index("ix_alerts_created_at", "alerts")
    op.drop_index("ix_items_unextracted", "items")
