# Import by <space_id>/<dataset_id>: the list API, the only way to read a knowledge base, needs the workspace.
terraform import coze_knowledge_base.docs 7341000000000000/7446689358658301234
