"""Source backoff and health: disabled sources, the configured URL, daily health warnings.

`config_url` is the URL the configuration last gave; `url` is where the source is read
(a permanent redirect moves it). Comparing the config with `config_url` lets a restart keep
a moved URL, and lets an operator re-enable a source disabled by a 410 by editing its URL.
`failing_since` is the first failure of the current error streak.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("config_url", sa.Text))
        batch.add_column(sa.Column("disabled_reason", sa.Text))
        batch.add_column(sa.Column("disabled_at", sa.DateTime))
        batch.add_column(sa.Column("failing_since", sa.DateTime))
        batch.add_column(sa.Column("health_warned_at", sa.DateTime))
    op.execute("UPDATE sources SET config_url = url")


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        for column in (
            "health_warned_at",
            "failing_since",
            "disabled_at",
            "disabled_reason",
            "config_url",
        ):
            batch.drop_column(column)
