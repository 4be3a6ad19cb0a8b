"""drop indexes another index already starts with

Each of these single-column indexes is the leading column of a composite index on the same
table (a unique constraint's, or ix_note_workspace_status), which serves the same lookups,
foreign-key checks and cascades; keeping both only made every insert pay twice. Importing a
large cascade/v1 file writes these tables most.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 05:15:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# (table, index, column); the index covering each is named in the comment
REDUNDANT = (
    ('note', 'ix_note_workspace_id', 'workspace_id'),  # ix_note_workspace_status
    ('node', 'ix_node_workspace_id', 'workspace_id'),  # unique (workspace_id, key)
    ('node_revision', 'ix_node_revision_node_id', 'node_id'),  # unique (node_id, revision)
    ('link', 'ix_link_source_id', 'source_id'),  # unique (source_id, target_id, kind)
    ('unit', 'ix_unit_workspace_id', 'workspace_id'),  # unique (workspace_id, key)
    ('membership', 'ix_membership_person_id', 'person_id'),  # unique (person_id, unit_id, role)
)


def upgrade():
    for table, index, _column in REDUNDANT:
        op.drop_index(index, table_name=table)


def downgrade():
    for table, index, column in reversed(REDUNDANT):
        op.create_index(index, table, [column], unique=False)
