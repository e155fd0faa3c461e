def acting_unimed(request):
    actor = getattr(request, "actor", None)
    return {"actor": actor, "acting_unimed": getattr(actor, "unimed", None)}
