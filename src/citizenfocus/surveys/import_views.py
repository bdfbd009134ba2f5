from citizenfocus.accounts.permissions import role_required


@role_required("import")
def import_upload(request):
    raise NotImplementedError  # written by the import work
