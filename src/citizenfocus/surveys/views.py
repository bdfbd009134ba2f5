from citizenfocus.accounts.permissions import role_required


@role_required("view_data")
def data_page(request):
    raise NotImplementedError


@role_required("view_data")
def batch_detail(request, pk):
    raise NotImplementedError


@role_required("view_data")
def responses_page(request):
    raise NotImplementedError
