# nbgrader reads this file when it runs from the kit's folder: the Validate button in JupyterLab
# and any `nbgrader ...` command a maintainer types. It applies the kit's one configuration
# (autograder/nbgrader_setup.py): state in the git-ignored grading folder, cell time limit,
# quiet and guarded kernels.
from autograder.nbgrader_setup import config
from autograder.paths import grading_dir

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
c.merge(config(grading_dir()))
