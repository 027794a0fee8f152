import {
  to = coze_knowledge_base.docs
  id = "7341000000000000/7446689358658301234"
}
