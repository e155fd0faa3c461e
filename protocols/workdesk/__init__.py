"""The staff's working aids around protocols (issue #18): answer templates ("respostas
prontas"), saved inbox filters and presence on a protocol's answer form. Models in
protocols.models.workdesk; reads in .selectors (scoped by the actor's Unimed), writes in
.services."""
