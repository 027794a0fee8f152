# Import by <knowledge_base_id>/<document_id>: documents are read through their knowledge base's listing.
terraform import coze_knowledge_document.faq 7446689358658301234/7386942056030101234
