"""The coordinator's and officers' web dashboard (`/dashboard`): server-rendered pages over
the read models (`storage.read`) whose buttons call the lifecycle use cases, behind a token
or `/dasbor` login. `router.install` puts it into the app."""
