"""measures, check-ins, dependency agreements, carried nodes

`measure` and `check_in` hold how a node's progress is seen; `link.state` (with
`needed_by`, `response` and who asked and answered) makes a `depends_on` link a request the
other unit commits to, every existing link being `committed` as before; `node.carried_from_id`
links a node carried into the next horizon to the one it carries on.

Revision ID: 0006_measures
Revises: 0005_api
Create Date: 2026-12-01 12:50:19.246854

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0006_measures'
down_revision = '0005_api'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit_of_measure', sa.String(length=40), nullable=False),
    sa.Column('direction', sa.Enum('increase', 'decrease', 'maintain', name='measure_direction', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('band_low', sa.Float(), nullable=True),
    sa.Column('band_high', sa.Float(), nullable=True),
    sa.Column('start', sa.Date(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('cadence_days', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('live', 'retired', name='measure_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('cadence_days >= 1', name=op.f('ck_measure_cadence_positive')),
    sa.ForeignKeyConstraint(['node_id'], ['node.id'], name=op.f('fk_measure_node_id_node'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_measure_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure')),
    sa.UniqueConstraint('node_id', 'key', name=op.f('uq_measure_node_id_key'))
    )
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('confidence', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('confidence IS NULL OR (confidence >= 0 AND confidence <= 10)', name=op.f('ck_check_in_confidence_range')),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_check_in_author_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_check_in_measure_id_measure'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_check_in_unit_id_unit'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_check_in_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in'))
    )
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_in_workspace_id'), ['workspace_id'], unique=False)

    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.Enum('requested', 'committed', 'countered', 'declined', name='agreement_state', native_enum=False, create_constraint=True, length=20), server_default='committed', nullable=False))
        batch_op.add_column(sa.Column('needed_by', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('response', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('requested_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('responded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('responded_at', cascade.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_link_requested_by_id_person'), 'person', ['requested_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_link_responded_by_id_person'), 'person', ['responded_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('node', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_node_carried_from_id'), ['carried_from_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_node_carried_from_id_node'), 'node', ['carried_from_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('node', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_node_carried_from_id_node'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_node_carried_from_id'))
        batch_op.drop_column('carried_from_id')

    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_link_responded_by_id_person'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_link_requested_by_id_person'), type_='foreignkey')
        batch_op.drop_column('version')
        batch_op.drop_column('responded_at')
        batch_op.drop_column('responded_by_id')
        batch_op.drop_column('requested_by_id')
        batch_op.drop_column('response')
        batch_op.drop_column('needed_by')
        batch_op.drop_column('state')

    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_check_in_measure_id'))

    op.drop_table('check_in')
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_workspace_id'))

    op.drop_table('measure')
