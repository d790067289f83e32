"""Tuning evidence: rep feedback votes, the rule behind each event, the talk track shown.

`feedback` holds one row per vote. A signed link carries a nonce; `token` is a digest of
it and is unique, so a link used twice is refused (replay) rather than counted twice.
Votes given on the CLI get a fresh token each. `events.rule` names the trigger rule (or
model decision) that produced the event and `alerts.talk_track` names the talk track
rendered into the alert, so the report can give feedback rates per rule and per track.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "alert_id",
            sa.Integer,
            sa.ForeignKey("alerts.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("vote", sa.String(40), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("rule", sa.String(200)))
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("talk_track", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("talk_track")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("rule")
    op.drop_table("feedback")
