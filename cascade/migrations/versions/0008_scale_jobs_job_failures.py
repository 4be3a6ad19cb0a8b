"""Background jobs that failed on every attempt, shown to the workspace's admins.

Revision ID: 0008_scale_jobs
Revises: 0007_leaders
Create Date: 2026-12-01 12:54:06.226903

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0008_scale_jobs'
down_revision = '0007_leaders'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sa.String(length=200), nullable=False),
    sa.Column('arguments', sa.JSON(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('traceback', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('failed_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('retried_at', cascade.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('retried_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['retried_by_id'], ['person.id'], name=op.f('fk_job_failure_retried_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_job_failure_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_failure'))
    )
    with op.batch_alter_table('job_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_failure_workspace_id'), ['workspace_id'], unique=False)



def downgrade():
    with op.batch_alter_table('job_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_failure_workspace_id'))

    op.drop_table('job_failure')
