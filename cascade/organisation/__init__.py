"""Who and where: the unit tree, people and their roles, invitations, accounts, passwords,
the workspace's settings, and the policy that decides who may do what. `operations` holds
every write."""
