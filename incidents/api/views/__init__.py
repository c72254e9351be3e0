"""API views: validate, call one service with the API user and ``now``, answer."""
