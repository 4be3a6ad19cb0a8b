"""translation reviews, not for us, inbox marks

`translation_review`: a parent owner sent a proposed translation back with a reason;
`decline`: a unit said a parent is not for it to translate (its reason also went up as a
note); `inbox_mark`: inbox items a person marked seen.

Revision ID: 0007_leaders
Revises: 0006_notify_prefs
Create Date: 2026-12-01 13:02:59.361914

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0007_leaders'
down_revision = '0006_notify_prefs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inbox_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('created_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_inbox_mark_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_inbox_mark_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_mark')),
    sa.UniqueConstraint('person_id', 'item', name=op.f('uq_inbox_mark_person_id_item'))
    )
    with op.batch_alter_table('inbox_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_mark_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('translation_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('created_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['node.id'], name=op.f('fk_translation_review_node_id_node'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_translation_review_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_translation_review_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_review'))
    )
    with op.batch_alter_table('translation_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_translation_review_node_id'), ['node_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_translation_review_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('decline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('created_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['node.id'], name=op.f('fk_decline_node_id_node'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['note_id'], ['note.id'], name=op.f('fk_decline_note_id_note'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_decline_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_decline_unit_id_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_decline_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decline')),
    sa.UniqueConstraint('node_id', 'unit_id', name=op.f('uq_decline_node_id_unit_id'))
    )
    with op.batch_alter_table('decline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decline_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decline_workspace_id'), ['workspace_id'], unique=False)



def downgrade():
    with op.batch_alter_table('decline', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decline_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_decline_unit_id'))

    op.drop_table('decline')
    with op.batch_alter_table('translation_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_translation_review_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_translation_review_node_id'))

    op.drop_table('translation_review')
    with op.batch_alter_table('inbox_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbox_mark_workspace_id'))

    op.drop_table('inbox_mark')
