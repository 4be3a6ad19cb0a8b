"""User text: Markdown rendered safely (`markdown`) and readable differences between two
revisions (`diff`)."""
