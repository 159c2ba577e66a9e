"""Self-help tips a child reads while waiting, one per topic (SPEC section 3, routing).

Written the way a helpline counsellor would say it to a ten-year-old: one or two small things
to do now, who to tell, and no medical or legal claim that could turn out wrong. Adult
matters (money, documents, housing) are named as adults' work, not the child's.
"""

from __future__ import annotations

from bot.dialogs.texts import N_

TIP_PSYCHOLOGICAL = N_(
    "Try slow breathing: breathe in while you count to 4, out while you count to 6, five "
    "times. Tell someone you trust how you feel. Your feelings matter, and they can change."
)
TIP_BULLYING = N_(
    "It is not your fault. Save screenshots of what they write, and tell a teacher or a "
    "parent. Online you can block the people who bully you and report them."
)
TIP_FAMILY = N_(
    "When things are hard at home, talk to an adult you trust: a relative, a teacher, the "
    "school psychologist. It is OK to go somewhere calm for a while and take a break."
)
TIP_ABUSE = N_(
    "If someone hurts you, it is never your fault. Tell an adult you trust. "
    "If you are in danger, go to a safe place and call 112."
)
TIP_SCHOOL = N_(
    "Problems at school can be solved. Write down what happened and talk to your class "
    "teacher, the school psychologist or a parent. Our counsellor can help you find the words."
)
TIP_HEALTH = N_(
    "If something about your health hurts or worries you, tell a parent or another adult you "
    "trust, or go to the school nurse. If it is very bad, call 103."
)
TIP_MONEY = N_(
    "Money, alimony and housing are for adults to sort out: fixing them is not your job. If it "
    "worries you, tell an adult you trust. They can write to us, and our lawyer will explain "
    "what can be done."
)
TIP_DOCUMENTS = N_(
    "Adults can help with documents. Ask a parent, a relative or your class teacher. They can "
    "also write to us, and our lawyer will explain what to do."
)
TIP_CUSTODY = N_(
    "Questions about who you live with are hard. Your opinion matters: you can tell it to an "
    "adult you trust. Our counsellor can talk it through with you."
)
TIP_DISABILITY = N_(
    "You have the same right as everyone to learn, play and be heard. Tell an adult you trust "
    "what you need. Our counsellor can help you find the words."
)
TIP_JUSTICE = N_(
    "If you have to deal with the police or a court, you don't have to go through it alone: "
    "ask for a parent or another adult you trust to be with you, and ask what is happening. "
    "Our lawyer can explain your rights."
)
TIP_CARE = N_(
    "If something is wrong where you live, tell an adult you trust: a relative, a teacher, "
    "a psychologist. If anyone hurts you, it is never your fault. In danger, call 112."
)
TIP_CHILD_LABOR = N_(
    "Your health and your school come first. If someone makes you work too hard, does not let "
    "you rest or go to school, tell an adult you trust. You can also call 111."
)
TIP_OTHER = N_(
    "You did the right thing by writing. While you wait, do something calm you like: music, "
    "a walk, a glass of water. If something worries you, tell someone you trust."
)

TIPS: dict[str, str] = {
    "psychological": TIP_PSYCHOLOGICAL,
    "bullying": TIP_BULLYING,
    "family": TIP_FAMILY,
    "abuse": TIP_ABUSE,
    "education": TIP_SCHOOL,
    "health": TIP_HEALTH,
    "maintenance": TIP_MONEY,
    "social_security": TIP_MONEY,
    "property": TIP_MONEY,
    "civil_rights": TIP_DOCUMENTS,
    "custody": TIP_CUSTODY,
    "parental_rights": TIP_CUSTODY,
    "disability": TIP_DISABILITY,
    "justice": TIP_JUSTICE,
    "care_institutions": TIP_CARE,
    "child_labor": TIP_CHILD_LABOR,
    "other": TIP_OTHER,
}
