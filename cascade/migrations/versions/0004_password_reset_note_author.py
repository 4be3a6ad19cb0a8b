"""password resets, imported authors by name, one note per submitted form

`password_reset` holds single-use links to choose a new password; `note.author_name` keeps
the name of an imported note's author who is no member of the workspace (never an
account); `note.submission_key` lets a double-submitted form find the note it made.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:23:17.961243

"""
from alembic import op
import sqlalchemy as sa
import cascade.db  # noqa: F401  (UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('password_reset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', cascade.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', cascade.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_password_reset_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_token_hash'))
    )
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('author_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_note_submission_key'), ['submission_key'])



def downgrade():
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_note_submission_key'), type_='unique')
        batch_op.drop_column('submission_key')
        batch_op.drop_column('author_name')

    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_person_id'))

    op.drop_table('password_reset')
