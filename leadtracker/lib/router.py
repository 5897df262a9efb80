"""A ninja Router whose operations keep the ids they were published under."""

import ninja


class Router(ninja.Router):
    """ninja names an operation after its function's module and name
    (``leadtracker_leads_api_list_rules``). Generated clients call operations by that id, so an
    endpoint that moves to another module must keep it: this router gives each operation the id
    it would have in ``ids_of`` (the module its endpoints were first published from), unless the
    operation names its own."""

    def __init__(self, *, ids_of: str, **kwargs):
        super().__init__(**kwargs)
        self.ids_of = ids_of

    def add_api_operation(self, path, methods, view_func, *, operation_id=None, **kwargs):
        if operation_id is None:
            operation_id = f"{self.ids_of}_{view_func.__name__}".replace(".", "_")
        super().add_api_operation(path, methods, view_func, operation_id=operation_id, **kwargs)
