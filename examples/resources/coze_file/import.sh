# Import by file id, the id the upload API returned.
terraform import coze_file.icon 7369495981102022700
