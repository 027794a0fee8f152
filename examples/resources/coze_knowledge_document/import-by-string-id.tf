import {
  to = coze_knowledge_document.faq
  id = "7446689358658301234/7386942056030101234"
}
