"""The Studio Controller API's reference receiver: what a broadcast controller runs to accept programmes
from the studio's ``http`` delivery target (see ``docs/controller-api.md``)."""
