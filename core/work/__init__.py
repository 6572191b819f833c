"""The admin side of a chat: enrolment, admin commands, follow and citizen feedback."""
