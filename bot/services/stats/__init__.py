"""The helpline's statistics report (SPEC section 7): figures from SQL, small-cell
suppression, and Markdown, CSV, JSON and PNG renderings in kk, ru and en."""
