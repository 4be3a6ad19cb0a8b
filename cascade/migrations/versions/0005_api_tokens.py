"""personal API tokens

`api_token` holds each person's tokens per workspace: a SHA-256 of the secret (never the
secret), its scopes, expiry, last use and revocation.

Revision ID: 0005_api
Revises: 0005_notify_events, 0005_sessions_pulse_release
Create Date: 2026-12-01 12:49:44.872130

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0005_api'
down_revision = ('0005_notify_events', '0005_sessions_pulse_release')
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('prefix', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('created_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', cascade.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', cascade.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', cascade.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_api_token_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['person.id'], name=op.f('fk_api_token_revoked_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_api_token_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_token_workspace_id'), ['workspace_id'], unique=False)



def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_api_token_person_id'))

    op.drop_table('api_token')
