import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gpu_project.settings")
application = get_wsgi_application()

# What the startup loaded (Django, the apps, their modules: ~120,000 objects) lives as
# long as the process. Frozen, a full garbage collection no longer walks it on every
# pass: in the inbox benchmark (bench/README.md) a full collection in the middle of a
# request went from 93-140 ms to 23-45 ms. The collect first leaves the import's garbage out.
gc.collect()
gc.freeze()
