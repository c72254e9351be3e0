"""The clocks: deadline arithmetic (deadlines), which obligations an incident has and when each is
due (obligations), the reminders and their e-mail (reminders, reminder_mail), and how a deadline
reads on a page (display)."""
