"""facilitated sessions and the decisions taken in them

A coach's session for one part of the organisation (its scope, template, chosen findings
and pulse, the short link people answer through) and what the room decided: notes,
acknowledgements or plain words, each linked to the session.

Revision ID: 0010_sessions
Revises: 0009_notify_mail
Create Date: 2026-12-01 13:18:44.509246

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0010_sessions'
down_revision = '0009_notify_mail'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('facilitated_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('template', sa.Enum('coherence_review', 'catchball', 'pulse_debrief', name='session_template', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('scope_node_id', sa.Integer(), nullable=True),
    sa.Column('scope_unit_id', sa.Integer(), nullable=True),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('pulse_id', sa.Integer(), nullable=True),
    sa.Column('anonymised', sa.Boolean(), nullable=False),
    sa.Column('step_minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'ended', name='session_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('revealed_at', cascade.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', cascade.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_facilitated_session_created_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pulse_id'], ['pulse.id'], name=op.f('fk_facilitated_session_pulse_id_pulse'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scope_node_id'], ['node.id'], name=op.f('fk_facilitated_session_scope_node_id_node'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scope_unit_id'], ['unit.id'], name=op.f('fk_facilitated_session_scope_unit_id_unit'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_facilitated_session_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilitated_session')),
    sa.UniqueConstraint('code', name=op.f('uq_facilitated_session_code')),
    sa.UniqueConstraint('workspace_id', 'key', name=op.f('uq_facilitated_session_workspace_id_key'))
    )
    with op.batch_alter_table('facilitated_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilitated_session_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('session_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=True),
    sa.Column('fingerprint', sa.String(length=32), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_session_decision_created_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['note_id'], ['note.id'], name=op.f('fk_session_decision_note_id_note'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['facilitated_session.id'], name=op.f('fk_session_decision_session_id_facilitated_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_decision'))
    )
    with op.batch_alter_table('session_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_decision_session_id'), ['session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('session_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_decision_session_id'))

    op.drop_table('session_decision')
    with op.batch_alter_table('facilitated_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facilitated_session_workspace_id'))

    op.drop_table('facilitated_session')
