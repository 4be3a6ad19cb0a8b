"""score_snapshot becomes score_record

"Snapshot" now means one thing in Cascade: the workspace as the coherence engine reads it.
A point of the score history is a score record. The table is recreated under its new name
(with constraint and index names that follow the naming convention) and its rows copied.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import cascade.db

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

COLUMNS = "id, workspace_id, as_of, score, counts, taken_by_id, taken_at"


def _create(name: str) -> None:
    op.create_table(name,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('taken_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 100', name=op.f(f'ck_{name}_score_0_to_100')),
    sa.ForeignKeyConstraint(['taken_by_id'], ['person.id'], name=op.f(f'fk_{name}_taken_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f(f'fk_{name}_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}'))
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_workspace_id'), ['workspace_id'], unique=False)


def _move(old: str, new: str) -> None:
    _create(new)
    op.execute(f"INSERT INTO {new} ({COLUMNS}) SELECT {COLUMNS} FROM {old}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"SELECT setval(pg_get_serial_sequence('{new}', 'id'), "
                   f"COALESCE((SELECT MAX(id) FROM {new}), 0) + 1, false)")
    with op.batch_alter_table(old, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f(f'ix_{old}_workspace_id'))
    op.drop_table(old)


def upgrade():
    _move("score_snapshot", "score_record")


def downgrade():
    _move("score_record", "score_snapshot")
