"""A frozen question-matching set: deep-learning interview questions, each with
paraphrases a person might type instead.

``FAQ`` maps a question id to its canonical wording and to paraphrases that avoid
repeating it word for word. It is the data of nlp-use-cases' semantic-search task
(paraphrase → canonical question, scored by MRR), written on 2026-11-28 from the
sixteen questions of that day and frozen since: a question added to deepfaq brings
its own paraphrases (``Question.paraphrases``, for ``deepfaq ask``) and changes no
measured number here.
"""

from __future__ import annotations

FAQ: dict[str, tuple[str, tuple[str, ...]]] = {
    "lstm-vs-gru": (
        "LSTM or GRU: which recurrent cell should I use?",
        (
            "gated recurrent unit versus long short-term memory",
            "is a GRU as good as an LSTM for sequences",
            "which RNN cell trains faster, LSTM or GRU",
        ),
    ),
    "zero-init": (
        "Why not start every weight at zero?",
        (
            "what happens if I initialise all the weights to 0",
            "why is zero initialization bad for neural networks",
            "symmetry breaking in weight initialisation",
        ),
    ),
    "init-scale": (
        "Why initialise weights with small random values scaled by fan-in?",
        (
            "why do we divide the initial weights by the square root of the number of inputs",
            "what goes wrong if initial weights are too large or too small",
            "how should the variance of initial weights depend on layer width",
        ),
    ),
    "xavier": (
        "Xavier or Glorot initialisation: normal or uniform?",
        (
            "does it matter if glorot init draws from a gaussian or a uniform distribution",
            "what is xavier initialization and when do I use He instead",
            "glorot uniform versus glorot normal",
        ),
    ),
    "activations": (
        "Sigmoid, tanh, softmax, ReLU, leaky ReLU: which activation and why?",
        (
            "why did relu replace sigmoid in deep networks",
            "what is the dying relu problem",
            "difference between tanh and sigmoid activation functions",
        ),
    ),
    "conv-vs-dense": (
        "Why use convolutions for images instead of fully connected layers?",
        (
            "what advantage does a CNN have over an MLP on pictures",
            "why are convolutional layers translation equivariant",
            "weight sharing in convolutional neural networks",
        ),
    ),
    "batch-norm": (
        "What does batch normalization do?",
        (
            "why does batchnorm speed up training",
            "internal covariate shift explained",
            "can I use a higher learning rate with batch normalisation",
        ),
    ),
    "handwriting": (
        "How does handwriting recognition with CNN, LSTM and CTC work?",
        (
            "reading handwritten text lines with connectionist temporal classification",
            "what is CTC loss used for in OCR",
            "how do you train a text recogniser without character positions",
        ),
    ),
    "autoencoders": (
        "What is an autoencoder for?",
        (
            "uses of autoencoders: denoising, compression, pretraining",
            "is a linear autoencoder the same as PCA",
            "can an autoencoder compress images better than jpeg",
        ),
    ),
    "upsampling": (
        "Why do transposed convolutions make checkerboard artifacts?",
        (
            "deconvolution produces grid patterns in generated images",
            "resize-convolution instead of conv transpose",
            "how to avoid checkerboard patterns when upsampling in a decoder",
        ),
    ),
    "word-embeddings": (
        "How do Word2Vec, GloVe and FastText differ?",
        (
            "skip-gram versus CBOW",
            "how are word vectors learned from text",
            "what does fasttext do with words it has never seen",
        ),
    ),
    "embedding-limits": (
        "What can't static word embeddings capture?",
        (
            "why averaging word vectors loses word order",
            "the same word with different meanings in word2vec",
            "contextual embeddings versus static embeddings",
        ),
    ),
    "topics": (
        "What is soft clustering in LDA, and how does NMF relate to it?",
        (
            "latent dirichlet allocation versus k-means for documents",
            "what does the alpha parameter of a dirichlet prior do",
            "non-negative matrix factorization for topic modelling",
        ),
    ),
    "text-cnn": (
        "How does a CNN classify sentences?",
        (
            "convolutional neural network for sentiment analysis",
            "kim 2014 sentence classification with filters of width 3 4 5",
            "can a convnet detect negation like not good",
        ),
    ),
    "bert": (
        "What does BERT change compared with GPT and ELMo?",
        (
            "masked language modelling versus next word prediction",
            "why is bidirectional context better for pretraining",
            "difference between elmo and bert",
        ),
    ),
    "nlp-use-cases": (
        "What are everyday uses of NLP?",
        (
            "examples of natural language processing applications",
            "sentiment classification and semantic search in practice",
            "what can I build with sentence embeddings",
        ),
    ),
}
